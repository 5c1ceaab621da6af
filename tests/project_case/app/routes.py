from fastapi import APIRouter

from app import CurrentUser

router = APIRouter(prefix="/jobs")


@router.get("/{job_id}")
def get_job(job_id: str, user: CurrentUser):
    return {"job": job_id, "user": user}


@router.get("/open")
def open_job():
    return {}
